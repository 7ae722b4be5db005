"""Tests of the built distribution (sdist, wheel) and of using it from a project of its own."""
