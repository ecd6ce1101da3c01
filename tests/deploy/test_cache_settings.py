"""The cache, where the private links' rate limits are counted: Redis in production (one
count for every gunicorn process), each process's memory otherwise, with a warning."""

from __future__ import annotations

import json
from pathlib import Path

from tests.deploy.support import manage, run_python

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-key",
    "STRATEGISE_AUDIT_KEY": "a-long-random-production-audit-key-for-tests",
    "STRATEGISE_FIELD_KEY": "cHJvZHVjdGlvbi1zaGFwZWQtZmllbGQta2V5LXRlc3Q=",
}
PRINT_CACHE = "import json, strategise.config.settings as s; print(json.dumps(s.CACHES['default']))"


def _cache(env: dict[str, str], cwd: Path) -> dict[str, object]:
    result = run_python(["-c", PRINT_CACHE], env, cwd)
    assert result.returncode == 0, result.stderr
    cache: dict[str, object] = json.loads(result.stdout)
    return cache


def test_a_cache_url_puts_the_cache_on_redis(tmp_path: Path) -> None:
    env = PRODUCTION | {"DJANGO_CACHE_URL": "redis://queue.internal:6379/1"}
    assert _cache(env, tmp_path) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://queue.internal:6379/1",
    }


def test_without_one_each_process_counts_in_its_own_memory(tmp_path: Path) -> None:
    assert _cache({"DJANGO_DEBUG": "1"}, tmp_path) == {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
    }


def test_without_debug_a_memory_cache_is_warned_of(tmp_path: Path) -> None:
    result = manage(["check"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "(strategise.W001) The cache is each process's own memory" in result.stderr
    assert "DJANGO_CACHE_URL" in result.stderr


def test_with_redis_or_while_debugging_there_is_no_warning(tmp_path: Path) -> None:
    redis = manage(["check"], PRODUCTION | {"DJANGO_CACHE_URL": "redis://q:6379/1"}, tmp_path)
    debugging = manage(["check"], {"DJANGO_DEBUG": "1"}, tmp_path)
    for result in (redis, debugging):
        assert result.returncode == 0, result.stderr
        assert "strategise.W001" not in result.stdout + result.stderr
