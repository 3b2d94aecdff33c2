"""Key builders give the keys handlers/runtime/keys.ts gives (test/contract.test.ts
compares both kits on the same values)."""

import pytest

from cachestack_runtime.contract import RedisKeySetting
from cachestack_runtime.keys import CacheKeyError, KeyBuilder

profile = KeyBuilder(RedisKeySetting("userProfile", "user:profile:{userId}", 300))
course_list = KeyBuilder(RedisKeySetting("courseList", "courses:semester:{semesterId}:dept:{departmentId}", 600))


@pytest.mark.parametrize(
    "value,key",
    [
        ("42", "user:profile:42"),
        (42, "user:profile:42"),
        (4.0, "user:profile:4"),
        ("1:x", "user:profile:1%3Ax"),
        ("a b", "user:profile:a%20b"),
        ("{x}%", "user:profile:%7Bx%7D%25"),
        ("\u00a0", "user:profile:%C2%A0"),
        ("é", "user:profile:é"),
    ],
)
def test_given_a_value_then_the_key_is_encoded_like_the_typescript_kit(value, key):
    assert profile(value).key == key
    assert profile(value).ttl_seconds == 300


def test_given_named_values_then_they_fill_the_pattern():
    assert course_list(semesterId=1, departmentId="cs").key == "courses:semester:1:dept:cs"


@pytest.mark.parametrize("args,kwargs", [((), {}), (("",), {}), ((None,), {}), ((float("nan"),), {}), ((True,), {}), ((), {"user": "1"})])
def test_given_bad_values_then_the_builder_refuses_them(args, kwargs):
    with pytest.raises(CacheKeyError):
        profile(*args, **kwargs)


def test_given_some_values_then_glob_matches_the_rest():
    assert course_list.glob(semesterId=1) == "courses:semester:1:dept:*"
    assert course_list.glob() == "courses:semester:*:dept:*"
    assert course_list.glob(semesterId="a*b") == "courses:semester:a\\*b:dept:*"
