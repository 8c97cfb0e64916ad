"""What tests share besides fixtures: paths, canary values, servers, AWS (moto) and AppTest helpers.

Conftest modules hold only fixtures and import what they need from here; tests import from here,
never from a conftest.
"""
