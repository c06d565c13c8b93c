"""Every write the app API makes: devices, account keys, vault items, passwords."""
