using Latchkey.Server.Users;

namespace Latchkey.Server.Management.Users.Search;

/// <summary>
/// Auth0's <c>sort</c> of <c>GET /api/v2/users</c>: <c>field:1</c> (ascending) or <c>field:-1</c> (descending). Ties
/// are broken by <c>user_id</c> so that pages never overlap. Without <c>sort</c>, users come in <c>user_id</c> order
/// (Auth0 orders by relevance, which has no meaning for exact filters).
/// </summary>
internal static class UserSort
{
    public static readonly string[] Fields = ["created_at", "updated_at", "last_login", "email", "name", "nickname", "given_name", "family_name", "user_id", "logins_count"];

    /// <summary>The ordered query, or throws <see cref="UserQuerySyntaxException"/> for a sort outside <see cref="Fields"/>.</summary>
    public static IQueryable<User> Apply(IQueryable<User> users, string? sort)
    {
        ArgumentNullException.ThrowIfNull(users);
        if (sort is null)
        {
            return users.OrderBy(u => u.UserId);
        }

        var colon = sort.LastIndexOf(':');
        var field = colon < 0 ? sort : sort[..colon];
        var direction = colon < 0 ? string.Empty : sort[(colon + 1)..];
        if (direction is not ("1" or "-1") || !Fields.Contains(field))
        {
            throw new UserQuerySyntaxException($"sort must be field:1 or field:-1 with a field among {string.Join(", ", Fields)}");
        }

        var descending = direction == "-1";
        var ordered = field switch
        {
            "created_at" => descending ? users.OrderByDescending(u => u.CreatedAt) : users.OrderBy(u => u.CreatedAt),
            "updated_at" => descending ? users.OrderByDescending(u => u.UpdatedAt) : users.OrderBy(u => u.UpdatedAt),
            "last_login" => descending ? users.OrderByDescending(u => u.LastLogin) : users.OrderBy(u => u.LastLogin),
            "email" => descending ? users.OrderByDescending(u => u.NormalizedEmail) : users.OrderBy(u => u.NormalizedEmail),
            "name" => descending ? users.OrderByDescending(u => u.Name) : users.OrderBy(u => u.Name),
            "nickname" => descending ? users.OrderByDescending(u => u.Nickname) : users.OrderBy(u => u.Nickname),
            "given_name" => descending ? users.OrderByDescending(u => u.GivenName) : users.OrderBy(u => u.GivenName),
            "family_name" => descending ? users.OrderByDescending(u => u.FamilyName) : users.OrderBy(u => u.FamilyName),
            "logins_count" => descending ? users.OrderByDescending(u => u.LoginsCount) : users.OrderBy(u => u.LoginsCount),
            _ => descending ? users.OrderByDescending(u => u.UserId) : users.OrderBy(u => u.UserId),
        };
        return field == "user_id" ? ordered : descending ? ordered.ThenByDescending(u => u.UserId) : ordered.ThenBy(u => u.UserId);
    }
}
