"""A device signed in but not yet set up or verified has no key generation: it says so."""

import json

import pytest

from vaultclient import ClientError, VaultClient
from vaultclient.cli import main


def test_sync_on_a_device_without_an_account_key_says_it_is_locked(tmp_path, capsys):
    state = tmp_path / "laptop.json"
    state.write_text(json.dumps({"token": "t" * 43, "account_id": "9QDQV59NEK"}))
    client = VaultClient("http://127.0.0.1:9", state)  # nothing listens: no request may be made
    for action in (client.sync, lambda: client.add(name="bank", secret="1234"), lambda: client.delete("x")):
        with pytest.raises(ClientError) as refused:
            action()
        assert refused.value.code == "locked"
    assert main(["--server", "http://127.0.0.1:9", "--state", str(state), "sync"]) != 0
    assert "error (locked): This device has no account key yet" in capsys.readouterr().err
