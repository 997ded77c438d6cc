"""The wheel carries a compiled SQLite extension (samverkan/samverkan.so) and
the libraries it needs (samverkan/libs/), so it is tagged for a platform:
the manylinux tag build_wheel.sh passes in SAMVERKAN_WHEEL_PLAT. It holds no
CPython module, so its Python tag is py3 and its ABI tag none."""
import os

from setuptools import setup
from setuptools.dist import Distribution
from wheel.bdist_wheel import bdist_wheel


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True


class PlatformWheel(bdist_wheel):
    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        plat = os.environ.get("SAMVERKAN_WHEEL_PLAT")
        if not plat:
            raise SystemExit("build the wheel with python/build_wheel.sh, which bundles "
                             "the libraries and sets SAMVERKAN_WHEEL_PLAT")
        return "py3", "none", plat


setup(distclass=BinaryDistribution, cmdclass={"bdist_wheel": PlatformWheel})
