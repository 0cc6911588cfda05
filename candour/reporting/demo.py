def build(orgs, people, out=None):
    return 0
