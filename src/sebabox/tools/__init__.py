"""Tools for office staff and developers: new-office scaffold, blank workbooks, synthetic offices."""
