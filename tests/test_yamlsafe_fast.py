"""The libyaml fast path reads every shipped plan exactly as the pure-Python reader does."""

from pathlib import Path

import pytest

from sebabox.inputs import yamlsafe

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "plans").rglob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))


def _slow(text):
    loader = yamlsafe._Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    lines = {}
    return (None if node is None else yamlsafe._convert(node, (), lines, 0)), lines


@pytest.mark.skipif(yamlsafe._FastLoader is None, reason="PyYAML was built without libyaml; only the slow path exists")
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fast_and_slow_readers_agree(path):
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    try:
        expected = _slow(text)
    except Exception:  # a deliberately broken fixture: the fast path must fall back and say the same
        with pytest.raises(yamlsafe.YamlError):
            yamlsafe.parse_yaml_text(text)
        return
    assert yamlsafe.parse_yaml_text(text) == expected


def test_alias_still_refused_with_its_line():
    with pytest.raises(yamlsafe.YamlError) as err:
        yamlsafe.parse_yaml_text("a: &x 1\nb: *x\n")
    assert err.value.line == 1 and "anchors" in err.value.message
