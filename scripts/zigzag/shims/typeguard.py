# Stand-in for typeguard >= 3 (Debian 12 ships 2.x): ZigZag imports only the no-op decorator `typeguard_ignore`.
def typeguard_ignore(f):
    return f
