using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Tuntas.Dci;

/// <summary>
/// A compiled query (<c>EF.CompileAsyncQuery</c>) for each EF model it runs with: EF binds a compiled query to the model
/// of its first run and refuses any other. An installation has one model, but one process can hold a SQLite and a
/// PostgreSQL context side by side (the tests do).
/// </summary>
internal sealed class PerModel<T>(Func<T> compile)
    where T : class
{
    private readonly ConditionalWeakTable<IModel, T> _byModel = new();

    public T For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
