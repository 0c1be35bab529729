namespace Tuntas.Data;

/// <summary>The two databases Tuntas runs on: SQLite (default, embedded) and PostgreSQL (production).</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
