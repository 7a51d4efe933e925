using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace Latchkey.Server.Management.Users.Search;

/// <summary>
/// SQL functions the user search calls on the metadata columns (JSON text), mapped per database by
/// <see cref="MapSqlite"/> and <see cref="MapPostgres"/> (called from each provider's context). The JSON path is a
/// constant in the SQL, never a parameter, so that SQLite can match an expression index on
/// <c>json_extract("AppMetadata", '$."plan"')</c>; <see cref="UserQueryFilter"/> only passes paths made of
/// <c>[A-Za-z0-9_-]</c> segments.
/// </summary>
internal static class UserSearchFunctions
{
    private static readonly MethodInfo TextMethod = typeof(UserSearchFunctions).GetMethod(nameof(JsonText))!;
    private static readonly MethodInfo NumberMethod = typeof(UserSearchFunctions).GetMethod(nameof(JsonNumber))!;

    /// <summary>The value at <paramref name="path"/> (<c>a.b</c>) of a JSON object as text, or null when absent.</summary>
    public static string? JsonText(string json, string path) => throw new InvalidOperationException("Translated to SQL only.");

    /// <summary>The value at <paramref name="path"/> as a number (SQLite: JSON numbers, and <c>true</c>/<c>false</c> as 1/0).</summary>
    public static double? JsonNumber(string json, string path) => throw new InvalidOperationException("Translated to SQL only.");

    /// <summary>SQLite's JSON1 <c>json_extract(json, '$."a"."b"')</c>: strings as TEXT, numbers as numbers.</summary>
    public static void MapSqlite(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        foreach (var (method, type) in new[] { (TextMethod, typeof(string)), (NumberMethod, typeof(double)) })
        {
            modelBuilder.HasDbFunction(method).HasTranslation(args => new SqlFunctionExpression(
                "json_extract",
                [args[0], new SqlConstantExpression(SqlitePath(Path(args[1])), args[1].TypeMapping)],
                nullable: true,
                argumentsPropagateNullability: [false, false],
                type,
                null));
        }
    }

    /// <summary>PostgreSQL's <c>jsonb_extract_path_text(json, 'a', 'b')</c> (the metadata columns are <c>jsonb</c> there).</summary>
    public static void MapPostgres(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasDbFunction(TextMethod).HasTranslation(args => new SqlFunctionExpression(
            "jsonb_extract_path_text",
            [args[0], .. Path(args[1]).Split('.').Select(segment => new SqlConstantExpression(segment, args[1].TypeMapping))],
            nullable: true,
            argumentsPropagateNullability: [false, .. Path(args[1]).Split('.').Select(_ => false)],
            typeof(string),
            null));
        modelBuilder.HasDbFunction(NumberMethod).HasTranslation(_ => throw new InvalidOperationException("PostgreSQL compares metadata with jsonb containment (@>)."));
    }

    /// <summary>SQLite's path for <c>a.b</c>: <c>$."a"."b"</c> (quoted, so a key like <c>first-name</c> is one key).</summary>
    public static string SqlitePath(string path) =>
        "$" + string.Concat(path.Split('.').Select(segment => $".\"{segment}\""));

    private static string Path(SqlExpression argument) =>
        argument is SqlConstantExpression { Value: string path } ? path : throw new InvalidOperationException("The JSON path must be a constant.");
}
