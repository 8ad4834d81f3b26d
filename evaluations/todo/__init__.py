"""The to-do home page: what each role has to do next, each item linking to where it is done."""
