"""The centre's quality file: EQA visits and actions, complaints, malpractice deadlines,
and the inspector's visit dashboard."""
