using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace Latchkey.Server.Management.Users.Search;

/// <summary>EF Core's hook for <see cref="UserSearchFunctions.Translate"/>.</summary>
internal sealed class UserSearchTranslatorPlugin(bool postgres) : IMethodCallTranslatorPlugin, IMethodCallTranslator
{
    public IEnumerable<IMethodCallTranslator> Translators => [this];

    public SqlExpression? Translate(SqlExpression? instance, MethodInfo method, IReadOnlyList<SqlExpression> arguments, IDiagnosticsLogger<DbLoggerCategory.Query> logger) =>
        UserSearchFunctions.Translate(method, arguments, postgres);
}
