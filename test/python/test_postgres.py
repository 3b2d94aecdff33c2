"""Postgres pool settings for psycopg from the same variables as the TypeScript kit."""

import builtins

import pytest

from cachestack_runtime.contract import decode_handler_environment
from cachestack_runtime.postgres import (
    PostgresSecretError,
    postgres_connection_from_secret,
    postgres_pool,
    postgres_pool_settings,
)

ENV = {
    "CACHESTACK_SERVICE": "course-registration",
    "CACHESTACK_HANDLER": "enrollments",
    "CACHESTACK_PG_MIN": "1",
    "CACHESTACK_PG_MAX": "5",
    "CACHESTACK_PG_IDLE_TIMEOUT_MS": "30000",
    "CACHESTACK_PG_CONNECTION_TIMEOUT_MS": "2500",
    "CACHESTACK_PG_STATEMENT_TIMEOUT_MS": "15000",
}


def test_given_a_postgres_connection_then_the_pool_settings_follow_the_yaml():
    assert postgres_pool_settings(decode_handler_environment(ENV)) == {
        "min_size": 1,
        "max_size": 5,
        "max_idle": 30.0,
        "timeout": 2.5,
        "kwargs": {
            "sslmode": "verify-full",
            "connect_timeout": 3,
            "application_name": "course-registration/enrollments",
            "options": "-c statement_timeout=15000",
        },
    }


def test_given_the_settings_then_psycopg_accepts_them_as_a_conninfo():
    psycopg = pytest.importorskip("psycopg", reason="psycopg is installed by scripts/test-deps.sh")
    kwargs = postgres_pool_settings(decode_handler_environment(ENV))["kwargs"]
    conninfo = psycopg.conninfo.make_conninfo(host="db.example", **kwargs)
    parsed = psycopg.conninfo.conninfo_to_dict(conninfo)
    assert parsed["options"] == "-c statement_timeout=15000" and parsed["sslmode"] == "verify-full"


def test_given_no_postgres_connection_then_there_are_no_settings():
    assert postgres_pool_settings(decode_handler_environment({})) is None


def test_given_an_rds_secret_then_the_connection_details_are_psycopg_names():
    secret = '{"host":"db.example","port":"5433","username":"app","password":"pw","dbname":"courses"}'
    assert postgres_connection_from_secret(secret) == {"host": "db.example", "port": 5433, "user": "app", "password": "pw", "dbname": "courses"}
    with pytest.raises(PostgresSecretError, match="`password`"):
        postgres_connection_from_secret('{"host":"db","username":"app"}')


def test_given_no_psycopg_pool_then_postgres_pool_says_what_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_pool(name, *args, **kwargs):
        if name == "psycopg_pool":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pool)
    with pytest.raises(ImportError, match=r"psycopg\[binary,pool\]"):
        postgres_pool(decode_handler_environment(ENV))
