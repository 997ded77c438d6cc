def pytest_addoption(parser):
    parser.addoption("--ext", required=True, help="the built extension, without .so")
