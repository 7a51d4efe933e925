using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Management.Users.Search;

/// <summary>
/// Turns a <see cref="UserQuery"/> into a predicate EF Core translates to SQL (the database filters; users are never
/// loaded to be filtered). Values are SQL parameters. Searchable fields, as Auth0's user search v3 documents them
/// (docs/management-api.md, "Searching users"):
/// <list type="bullet">
/// <item><c>email</c>: case-insensitive, exact or prefix, on the unique normalised-email index.</item>
/// <item><c>user_id</c>: exact or prefix (case-sensitive, like the id).</item>
/// <item><c>name</c>, <c>nickname</c>, <c>given_name</c>, <c>family_name</c>: case-insensitive, exact or prefix.</item>
/// <item><c>email_verified</c>, <c>blocked</c>: <c>true</c>/<c>false</c>.</item>
/// <item><c>created_at</c>, <c>updated_at</c>, <c>last_login</c>: ISO 8601 dates, exact (a date alone is that whole
/// UTC day) or ranges; <c>logins_count</c>: integers, exact or ranges.</item>
/// <item><c>identities.connection</c>: the one database connection.</item>
/// <item><c>user_metadata.a.b</c>, <c>app_metadata.a.b</c>: exact, case-sensitive scalar values (Auth0 v3 allows
/// neither wildcards nor ranges on metadata).</item>
/// </list>
/// </summary>
internal static partial class UserQueryFilter
{
    private static readonly ParameterExpression Row = Expression.Parameter(typeof(User), "u");

    private static readonly string[] TextFields = ["name", "nickname", "given_name", "family_name"];

    /// <summary>The predicate for <paramref name="query"/>, or throws <see cref="UserQuerySyntaxException"/> for a field or value outside the subset.</summary>
    public static Expression<Func<User, bool>> Build(UserQuery query, UserSearchDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Expression.Lambda<Func<User, bool>>(Translate(query, dialect), Row);
    }

    private static Expression Translate(UserQuery query, UserSearchDialect dialect) => query switch
    {
        UserQueryAnd and => Expression.AndAlso(Translate(and.Left, dialect), Translate(and.Right, dialect)),
        UserQueryOr or => Expression.OrElse(Translate(or.Left, dialect), Translate(or.Right, dialect)),
        UserQueryNot not => Expression.Not(Translate(not.Inner, dialect)),
        UserQueryTerm term => Term(term, dialect),
        UserQueryRange range => Range(range),
        UserQueryExists exists => Exists(exists.Field, dialect),
        _ => throw new InvalidOperationException($"Unknown query node {query.GetType().Name}."),
    };

    private static Expression Term(UserQueryTerm term, UserSearchDialect dialect)
    {
        var (field, value) = (term.Field, term.Value);
        if (Metadata(field) is { } metadata)
        {
            if (term.Prefix)
            {
                throw new UserQuerySyntaxException($"{field}: wildcards are not supported on metadata (Auth0 user search v3)");
            }

            return MetadataEquals(metadata.Column, metadata.Path, value, dialect);
        }

        switch (field)
        {
            case "email":
                var email = value.Trim().ToLowerInvariant();
                if (term.Prefix)
                {
                    return StartsWith(u => u.NormalizedEmail, email, dialect);
                }

                var key = EmailAddress.TryNormalize(value, out _, out var normalized, out _) ? normalized : email;
                return Body(u => u.NormalizedEmail == key);
            case "user_id":
                return term.Prefix ? StartsWith(u => u.UserId, value, dialect) : Body(u => u.UserId == value);
            case "name" or "nickname" or "given_name" or "family_name":
                var lower = value.ToLowerInvariant();
                var column = TextColumn(field);
                return term.Prefix
                    ? Body(Expression.Lambda<Func<User, bool>>(Expression.Call(Lower(column), StringStartsWith, Parameter(lower)), Row))
                    : Expression.Equal(Lower(column), Parameter(lower));
            case "email_verified":
                var verified = Bool(field, value, term.Prefix);
                return Body(u => u.EmailVerified == verified);
            case "blocked":
                var blocked = Bool(field, value, term.Prefix);
                return Body(u => u.Blocked == blocked);
            case "logins_count":
                NoPrefix(term);
                var count = Int(field, value);
                return Body(u => u.LoginsCount == count);
            case "created_at" or "updated_at" or "last_login":
                NoPrefix(term);
                var (from, dateOnly) = Date(field, value);
                return dateOnly
                    ? DateRange(field, from, true, from.AddDays(1), false)
                    : DateRange(field, from, true, from, true);
            case "identities.connection":
                // Every user belongs to the one database connection (Auth0's default name).
                var matches = term.Prefix ? Connection.DefaultName.StartsWith(value, StringComparison.Ordinal) : Connection.DefaultName == value;
                return Expression.Constant(matches);
            default:
                throw Unknown(field);
        }
    }

    private static Expression Range(UserQueryRange range)
    {
        var field = range.Field;
        switch (field)
        {
            case "logins_count":
                var lower = range.Lower is { } l ? Int(field, l) : (int?)null;
                var upper = range.Upper is { } h ? Int(field, h) : (int?)null;
                var low = lower ?? int.MinValue;
                var high = upper ?? int.MaxValue;
                Expression<Func<User, bool>> lowTest = range.IncludeLower || lower is null ? u => u.LoginsCount >= low : u => u.LoginsCount > low;
                Expression<Func<User, bool>> highTest = range.IncludeUpper || upper is null ? u => u.LoginsCount <= high : u => u.LoginsCount < high;
                return Expression.AndAlso(Body(lowTest), Body(highTest));
            case "created_at" or "updated_at" or "last_login":
                return DateRange(
                    field,
                    range.Lower is { } from ? Date(field, from).Value : null,
                    range.IncludeLower,
                    range.Upper is { } to ? Date(field, to).Value : null,
                    range.IncludeUpper);
            default:
                throw Metadata(field) is not null
                    ? new UserQuerySyntaxException($"{field}: ranges are not supported on metadata (Auth0 user search v3)")
                    : IsKnown(field)
                        ? new UserQuerySyntaxException($"{field}: ranges are supported only on created_at, updated_at, last_login and logins_count")
                        : Unknown(field);
        }
    }

    private static Expression Exists(string field, UserSearchDialect dialect)
    {
        if (Metadata(field) is { } metadata)
        {
            return Expression.NotEqual(
                Expression.Call(typeof(UserSearchFunctions).GetMethod(nameof(UserSearchFunctions.JsonText))!, metadata.Column, Expression.Constant(metadata.Path)),
                Expression.Constant(null, typeof(string)));
        }

        return field switch
        {
            "name" or "nickname" or "given_name" or "family_name" => Expression.NotEqual(TextColumn(field), Expression.Constant(null, typeof(string))),
            "last_login" => Body(u => u.LastLogin != null),
            "email" or "user_id" or "email_verified" or "blocked" or "created_at" or "updated_at" or "logins_count" or "identities.connection" => Expression.Constant(true),
            _ => throw Unknown(field),
        };
    }

    /// <summary>
    /// A metadata value equal to <paramref name="value"/> as a string, or as the number or boolean it spells. SQLite:
    /// <c>json_extract</c> (an expression index can serve it); PostgreSQL: <c>jsonb</c> containment <c>@&gt;</c>, which
    /// the GIN index on the column serves for every key.
    /// </summary>
    private static Expression MetadataEquals(MemberExpression column, string path, string value, UserSearchDialect dialect)
    {
        var alternatives = new List<JsonNode?> { JsonValue.Create(value) };
        if (value is "true" or "false")
        {
            alternatives.Add(JsonValue.Create(value == "true"));
        }
        else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            alternatives.Add(JsonValue.Create(number));
        }

        if (dialect == UserSearchDialect.Postgres)
        {
            return alternatives.Select(alternative => (Expression)Expression.Call(
                    typeof(NpgsqlJsonDbFunctionsExtensions).GetMethod(nameof(NpgsqlJsonDbFunctionsExtensions.JsonContains))!,
                    Expression.Constant(EF.Functions),
                    Expression.Convert(column, typeof(object)),
                    Expression.Convert(Parameter(Nest(path, alternative)), typeof(object))))
                .Aggregate(Expression.OrElse);
        }

        var text = Expression.Equal(
            Expression.Call(typeof(UserSearchFunctions).GetMethod(nameof(UserSearchFunctions.JsonText))!, column, Expression.Constant(path)),
            Parameter(value));
        if (alternatives.Count == 1)
        {
            return text;
        }

        var numeric = value switch { "true" => 1, "false" => 0, _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture) };
        return Expression.OrElse(text, Expression.Equal(
            Expression.Call(typeof(UserSearchFunctions).GetMethod(nameof(UserSearchFunctions.JsonNumber))!, column, Expression.Constant(path)),
            Expression.Convert(Parameter(numeric), typeof(double?))));
    }

    /// <summary>
    /// <c>a.b</c> and a value as the JSON object <c>{"a":{"b":value}}</c>, a <see cref="JsonElement"/> so that Npgsql
    /// sends it as <c>jsonb</c>.
    /// </summary>
    private static JsonElement Nest(string path, JsonNode? value)
    {
        var node = value;
        foreach (var segment in path.Split('.').Reverse())
        {
            node = new JsonObject { [segment] = node };
        }

        return JsonSerializer.SerializeToElement(node);
    }

    private static (MemberExpression Column, string Path)? Metadata(string field)
    {
        var dot = field.IndexOf('.', StringComparison.Ordinal);
        var root = dot < 0 ? field : field[..dot];
        if (root is not ("user_metadata" or "app_metadata"))
        {
            return null;
        }

        var path = dot < 0 ? string.Empty : field[(dot + 1)..];
        if (!MetadataPath().IsMatch(path))
        {
            throw new UserQuerySyntaxException($"\"{field}\": name a metadata key (letters, digits, _ and - separated by dots), e.g. {root}.plan");
        }

        return (Expression.Property(Row, root == "user_metadata" ? nameof(Latchkey.Server.Users.User.UserMetadata) : nameof(Latchkey.Server.Users.User.AppMetadata)), path);
    }

    /// <summary>
    /// A prefix match that an index can serve: PostgreSQL's <c>LIKE 'p%'</c> (the email index uses
    /// <c>text_pattern_ops</c>); on SQLite, whose <c>LIKE</c> ignores case and so cannot use a binary index, the range
    /// <c>p &lt;= column &lt; p + U+10FFFF</c> beside the <c>LIKE</c>.
    /// </summary>
    private static Expression StartsWith(Expression<Func<User, string>> column, string prefix, UserSearchDialect dialect)
    {
        var member = Body(column);
        var startsWith = Expression.Call(member, StringStartsWith, Parameter(prefix));
        if (dialect == UserSearchDialect.Postgres)
        {
            return startsWith;
        }

        var upper = prefix + char.ConvertFromUtf32(0x10FFFF);
        var compare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;
        return Expression.AndAlso(
            Expression.AndAlso(
                Expression.GreaterThanOrEqual(Expression.Call(compare, member, Parameter(prefix)), Expression.Constant(0)),
                Expression.LessThan(Expression.Call(compare, member, Parameter(upper)), Expression.Constant(0))),
            startsWith);
    }

    private static Expression DateRange(string field, DateTimeOffset? from, bool includeFrom, DateTimeOffset? to, bool includeTo)
    {
        Expression column = field switch
        {
            "created_at" => Body(u => u.CreatedAt),
            "updated_at" => Body(u => u.UpdatedAt),
            _ => Body(u => u.LastLogin),
        };
        var type = column.Type;
        Expression result = Expression.Constant(true);
        if (from is { } start)
        {
            var bound = Expression.Convert(Parameter(start.ToUniversalTime()), type);
            result = includeFrom ? Expression.GreaterThanOrEqual(column, bound) : Expression.GreaterThan(column, bound);
        }

        if (to is { } end)
        {
            var bound = Expression.Convert(Parameter(end.ToUniversalTime()), type);
            Expression upper = includeTo ? Expression.LessThanOrEqual(column, bound) : Expression.LessThan(column, bound);
            result = from is null ? upper : Expression.AndAlso(result, upper);
        }

        // An open range still requires a value ([* TO *] is _exists_).
        return from is null && to is null && type == typeof(DateTimeOffset?)
            ? Expression.NotEqual(column, Expression.Constant(null, type))
            : result;
    }

    private static (DateTimeOffset Value, bool DateOnly) Date(string field, string value)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return (new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), true);
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            && value.Contains('T', StringComparison.Ordinal))
        {
            return (instant, false);
        }

        throw new UserQuerySyntaxException($"{field}: \"{value}\" is not an ISO 8601 date (2024-01-31 or 2024-01-31T12:00:00Z)");
    }

    private static bool Bool(string field, string value, bool prefix) =>
        !prefix && value is "true" or "false" ? value == "true" : throw new UserQuerySyntaxException($"{field}: \"{value}\" is not true or false");

    private static int Int(string field, string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new UserQuerySyntaxException($"{field}: \"{value}\" is not an integer");

    private static void NoPrefix(UserQueryTerm term)
    {
        if (term.Prefix)
        {
            throw new UserQuerySyntaxException($"{term.Field}: wildcards are supported only on email, user_id, name, nickname, given_name and family_name");
        }
    }

    private static MemberExpression TextColumn(string field) => Expression.Property(Row, field switch
    {
        "name" => nameof(Latchkey.Server.Users.User.Name),
        "nickname" => nameof(Latchkey.Server.Users.User.Nickname),
        "given_name" => nameof(Latchkey.Server.Users.User.GivenName),
        _ => nameof(Latchkey.Server.Users.User.FamilyName),
    });

    private static MethodCallExpression Lower(Expression column) => Expression.Call(column, typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!);

    private static readonly System.Reflection.MethodInfo StringStartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;

    private static bool IsKnown(string field) =>
        TextFields.Contains(field) || field is "email" or "user_id" or "email_verified" or "blocked" or "created_at" or "updated_at" or "last_login" or "logins_count" or "identities.connection";

    private static UserQuerySyntaxException Unknown(string field) =>
        new($"the field \"{field}\" is not searchable; use email, user_id, name, nickname, given_name, family_name, email_verified, blocked, created_at, updated_at, last_login, logins_count, identities.connection, user_metadata.* or app_metadata.*");

    /// <summary>A value as a SQL parameter (a closure field, which EF Core parameterises rather than inlining).</summary>
    private static MemberExpression Parameter<T>(T value) =>
        Expression.Field(Expression.Constant(new StrongBox<T>(value)), nameof(StrongBox<T>.Value));

    /// <summary>The body of <paramref name="lambda"/> over the shared parameter <see cref="Row"/>.</summary>
    private static Expression Body<T>(Expression<Func<User, T>> lambda) =>
        new ParameterSwap(lambda.Parameters[0], Row).Visit(lambda.Body);

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*$")]
    private static partial Regex MetadataPath();

    private sealed class ParameterSwap(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
