"""Views of Manajemen User (users.py), Keamanan Akun (security.py) and the login code step
(login.py)."""
