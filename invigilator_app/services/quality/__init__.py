"""The centre's quality file: EQA visits with their sampling plan and actions (000),
complaints and appeals (004), malpractice deadlines (003) and the inspector's dashboard."""
