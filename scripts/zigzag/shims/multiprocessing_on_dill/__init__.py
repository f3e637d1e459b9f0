# Stand-in for multiprocessing_on_dill (not in Debian, PyPI unreachable): ZigZag imports it only for its SALSA
# temporal-mapping engine; the LOMA runs measured here never call it.
from multiprocessing import *  # noqa: F401,F403
from multiprocessing import Queue  # noqa: F401
