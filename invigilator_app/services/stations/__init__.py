"""A centre with several rooms: the hub, its enrolled stations, and the bundles between them."""
