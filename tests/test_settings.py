import pytest

from service.settings import Settings, SettingsError


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
    ],
)
def test_bad_numbers_are_refused_by_name(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({"DATA_DIR": str(tmp_path), name: value})


def test_timeouts_take_fractions_of_a_second(tmp_path):
    settings = Settings.from_env({"DATA_DIR": str(tmp_path), "DB_ACQUIRE_TIMEOUT": "0.5"})
    assert settings.db_acquire_timeout == 0.5
    assert settings.export_max_concurrent == 2
