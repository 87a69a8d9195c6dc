"""App packages: an app's forms, rules and the rest as one file to export and import, and
the template apps of ``seeds/`` installed through the same path.

They sit above every service they package, and nothing but the API and the CLI uses them.
"""
