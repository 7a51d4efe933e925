using System.Text.Json.Serialization;
using Latchkey.Server.Users;

namespace Latchkey.Server.Management.Roles;

/// <summary>Auth0's member of a role (<c>GET /roles/{id}/users</c>): <c>{user_id, email, name, picture}</c>.</summary>
internal sealed record RoleUserResponse(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("picture")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Picture) : IPagedItem
{
    public static string Collection => "users";

    public static RoleUserResponse From(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var profile = UserProfile.Of(user);
        return new RoleUserResponse(user.UserId, user.Email, profile.Name, profile.Picture);
    }
}
