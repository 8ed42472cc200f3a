import subprocess
import sys
import threading

import pytest

from digest.build import BuildLocked, project_lock
from digest.config import Config


def test_a_second_build_waits_then_refuses_clearly(tmp_path):
    config = Config(root=tmp_path)
    messages = []
    with project_lock(config):
        with pytest.raises(BuildLocked, match="another build is running"):
            with project_lock(config, wait=0.3, echo=messages.append):
                pass
    assert messages and "waiting" in messages[0]


def test_the_lock_is_free_again_after_a_build(tmp_path):
    config = Config(root=tmp_path)
    with project_lock(config):
        pass
    with project_lock(config, wait=0):
        pass


def test_a_waiting_build_proceeds_when_the_first_ends(tmp_path):
    config = Config(root=tmp_path)
    entered = threading.Event()
    release = threading.Event()

    def first():
        with project_lock(config):
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    entered.wait(5)
    # a separate process, as a second `digest build` would be
    code = (
        "from digest.build import project_lock; from digest.config import Config; import pathlib, sys\n"
        f"with project_lock(Config(root=pathlib.Path({str(tmp_path)!r})), wait=10): print('got it')"
    )
    second = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    release.set()
    thread.join()
    assert second.communicate(timeout=20)[0].strip() == "got it"
