using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace Latchkey.Server.Management.Users.Search;

/// <summary>
/// EF Core's hook for <see cref="UserSearchFunctions.Translate"/>. A method-call translator gets its arguments without
/// type mappings (a function mapped in the model gets them with defaults applied), so the defaults are applied here.
/// </summary>
internal sealed class UserSearchTranslatorPlugin(ISqlExpressionFactory sql, bool postgres) : IMethodCallTranslatorPlugin, IMethodCallTranslator
{
    public IEnumerable<IMethodCallTranslator> Translators => [this];

    public SqlExpression? Translate(SqlExpression? instance, MethodInfo method, IReadOnlyList<SqlExpression> arguments, IDiagnosticsLogger<DbLoggerCategory.Query> logger) =>
        UserSearchFunctions.Translate(method, [.. arguments.Select(a => sql.ApplyDefaultTypeMapping(a)!)], postgres);
}
