using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace Latchkey.Server.Management.Users.Search;

/// <summary>
/// SQL functions the user search calls on the metadata columns (JSON text), translated per database by
/// <see cref="Translate"/> (registered with each provider's options by <see cref="UseUserSearchFunctions"/>). The JSON
/// path is a constant in the SQL, never a parameter, so that SQLite can match an expression index on
/// <c>json_extract("AppMetadata", '$."plan"')</c>; <see cref="UserQueryFilter"/> only passes paths made of
/// <c>[A-Za-z0-9_-]</c> segments.
/// </summary>
/// <remarks>
/// A method-call translator, not <c>HasDbFunction(…).HasTranslation(…)</c> in the model: EF Core cannot write a custom
/// function translation into a compiled model (<c>Persistence/CompiledModels</c>, docs/performance.md finding 5).
/// </remarks>
internal static class UserSearchFunctions
{
    private static readonly MethodInfo TextMethod = typeof(UserSearchFunctions).GetMethod(nameof(JsonText))!;
    private static readonly MethodInfo NumberMethod = typeof(UserSearchFunctions).GetMethod(nameof(JsonNumber))!;

    /// <summary>The value at <paramref name="path"/> (<c>a.b</c>) of a JSON object as text, or null when absent.</summary>
    public static string? JsonText(string json, string path) => throw new InvalidOperationException("Translated to SQL only.");

    /// <summary>The value at <paramref name="path"/> as a number (SQLite: JSON numbers, and <c>true</c>/<c>false</c> as 1/0).</summary>
    public static double? JsonNumber(string json, string path) => throw new InvalidOperationException("Translated to SQL only.");

    /// <summary>Registers the translation of <see cref="JsonText"/> and <see cref="JsonNumber"/> for the provider.</summary>
    public static TBuilder UseUserSearchFunctions<TBuilder>(this TBuilder builder, bool postgres)
        where TBuilder : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new UserSearchOptionsExtension(postgres));
        return builder;
    }

    /// <summary>
    /// SQLite: JSON1's <c>json_extract(json, '$."a"."b"')</c> (strings as TEXT, numbers as numbers). PostgreSQL:
    /// <c>jsonb_extract_path_text(json, 'a', 'b')</c> (the metadata columns are <c>jsonb</c> there); numbers are compared
    /// with jsonb containment instead. Null for any other method.
    /// </summary>
    public static SqlExpression? Translate(MethodInfo method, IReadOnlyList<SqlExpression> args, bool postgres)
    {
        if (method != TextMethod && method != NumberMethod)
        {
            return null;
        }

        var type = method == TextMethod ? typeof(string) : typeof(double);
        if (!postgres)
        {
            return new SqlFunctionExpression(
                "json_extract",
                [args[0], new SqlConstantExpression(SqlitePath(Path(args[1])), args[1].TypeMapping)],
                nullable: true,
                argumentsPropagateNullability: [false, false],
                type,
                null);
        }

        if (method == NumberMethod)
        {
            throw new InvalidOperationException("PostgreSQL compares metadata with jsonb containment (@>).");
        }

        return new SqlFunctionExpression(
            "jsonb_extract_path_text",
            [args[0], .. Path(args[1]).Split('.').Select(segment => new SqlConstantExpression(segment, args[1].TypeMapping))],
            nullable: true,
            argumentsPropagateNullability: [false, .. Path(args[1]).Split('.').Select(_ => false)],
            typeof(string),
            null);
    }

    /// <summary>SQLite's path for <c>a.b</c>: <c>$."a"."b"</c> (quoted, so a key like <c>first-name</c> is one key).</summary>
    public static string SqlitePath(string path) =>
        "$" + string.Concat(path.Split('.').Select(segment => $".\"{segment}\""));

    private static string Path(SqlExpression argument) =>
        argument is SqlConstantExpression { Value: string path } ? path : throw new InvalidOperationException("The JSON path must be a constant.");
}
