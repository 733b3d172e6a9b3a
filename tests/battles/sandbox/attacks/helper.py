# mypy: ignore-errors
# (a bot program run by the bots' interpreter inside the sandbox, not project code)
def answer(text):
    return "echo " + text
