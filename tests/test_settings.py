import pytest

from service.settings import RateLimit, Settings, SettingsError


def test_defaults_and_public_url_follow_host_and_port(tmp_path):
    settings = Settings.from_env({"DATA_DIR": str(tmp_path), "PORT": "9000"})
    assert settings.database_url is None
    assert settings.public_base_url == "http://127.0.0.1:9000"
    assert settings.workers == 1
    # Without SECRET_KEY a secret is made once and kept in the data folder.
    assert len(settings.secret_key) >= 32
    assert Settings.from_env({"DATA_DIR": str(tmp_path)}).secret_key == settings.secret_key


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "http"),
        ("WORKERS", "0"),
        ("DB_POOL_MAX", "-1"),
        ("DB_ACQUIRE_TIMEOUT", "0"),
        ("DB_ACQUIRE_TIMEOUT", "soon"),
        ("EXPORT_WRITE_TIMEOUT", "nan"),
        ("EXPORT_MAX_CONCURRENT", "0"),
        ("MEDIA_WORKERS", "0"),
    ],
)
def test_bad_numbers_are_refused_by_name(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({"DATA_DIR": str(tmp_path), name: value})


def test_a_pool_that_keeps_more_connections_than_it_may_have_is_refused(tmp_path):
    defaults = Settings.from_env({"DATA_DIR": str(tmp_path)})
    assert defaults.pool_min_size <= defaults.pool_max_size
    with pytest.raises(SettingsError, match=r"DB_POOL_MIN \(6\) is more than DB_POOL_MAX \(4\)"):
        Settings.from_env({"DATA_DIR": str(tmp_path), "DB_POOL_MIN": "6", "DB_POOL_MAX": "4"})
    chosen = Settings.from_env({"DATA_DIR": str(tmp_path), "DB_POOL_MIN": "6", "DB_POOL_MAX": "12"})
    assert (chosen.pool_min_size, chosen.pool_max_size) == (6, 12)
    # Only the maximum given, below the default minimum: the minimum follows it.
    one = Settings.from_env({"DATA_DIR": str(tmp_path), "DB_POOL_MAX": "1"})
    assert (one.pool_min_size, one.pool_max_size) == (1, 1)


def test_rate_limits_and_trusted_proxies_from_the_environment(tmp_path):
    defaults = Settings.from_env({"DATA_DIR": str(tmp_path)})
    assert defaults.trusted_proxies == ("127.0.0.1", "::1")
    assert defaults.report_limit == RateLimit(30, 600)
    assert defaults.redis_url is None
    chosen = Settings.from_env(
        {
            "DATA_DIR": str(tmp_path),
            "TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7",
            "RATE_LIMIT_REPORTS": "100/3600",
            "RATE_LIMIT_TRACKING": "off",
            "SIGN_IN_LONGEST_WAIT": "300",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert chosen.trusted_proxies == ("10.0.0.0/8", "192.0.2.7")
    assert chosen.report_limit == RateLimit(100, 3600)
    assert chosen.tracking_limit is None
    assert chosen.sign_in_longest_wait == 300
    assert chosen.redis_url == "redis://127.0.0.1:6379/0"
    assert (
        Settings.from_env({"DATA_DIR": str(tmp_path), "TRUSTED_PROXIES": "none"}).trusted_proxies
        == ()
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RATE_LIMIT_REPORTS", "30"),
        ("RATE_LIMIT_TRACKING", "0/60"),
        ("RATE_LIMIT_SIGN_IN_FAILURES", "ten/600"),
        ("TRUSTED_PROXIES", "proxy.example.nl"),
    ],
)
def test_bad_limits_and_proxies_are_refused_by_name(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({"DATA_DIR": str(tmp_path), name: value})


def test_timeouts_take_fractions_of_a_second(tmp_path):
    settings = Settings.from_env({"DATA_DIR": str(tmp_path), "DB_ACQUIRE_TIMEOUT": "0.5"})
    assert settings.db_acquire_timeout == 0.5
    assert settings.export_max_concurrent == 2


def test_attachments_go_to_a_folder_or_a_bucket_and_nothing_else(tmp_path):
    assert Settings.from_env({"DATA_DIR": str(tmp_path)}).attachments_url is None
    bucket = "s3://photos/tracker?region=eu-central-1"
    assert (
        Settings.from_env({"DATA_DIR": str(tmp_path), "ATTACHMENTS_URL": bucket}).attachments_url
        == bucket
    )
    with pytest.raises(SettingsError, match="ATTACHMENTS_URL must be") as refused:
        Settings.from_env(
            {"DATA_DIR": str(tmp_path), "ATTACHMENTS_URL": "ftp://user:secret@host/photos"}
        )
    assert "secret" not in str(refused.value)
