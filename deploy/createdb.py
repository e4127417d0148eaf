"""Create the PostgreSQL database named in DATABASE_URL when it does not exist yet, so a
first `make serve` needs nothing but a running server. Any other database is left alone."""

import sys

import environ
import psycopg
from psycopg import sql


def main() -> int:
    config = environ.Env.db_url_config(environ.Env().str("DATABASE_URL"))
    if "postgresql" not in config["ENGINE"]:
        return 0
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    try:
        psycopg.connect(dbname=config["NAME"], **params).close()
        return 0
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    connection = psycopg.connect(dbname="postgres", **params)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"]))
        )
    connection.close()
    print(f"serve: created database {config['NAME']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
