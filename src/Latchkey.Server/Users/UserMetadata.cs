using System.Text.Json.Nodes;

namespace Latchkey.Server.Users;

/// <summary>
/// <c>user_metadata</c> and <c>app_metadata</c>: a JSON object stored as text, changed with Auth0's merge
/// (docs/reference/auth0-wire.md R15.3) by <c>PATCH /api/v2/users/{id}</c> and by Actions'
/// <c>api.user.setUserMetadata</c>/<c>setAppMetadata</c> alike.
/// </summary>
public static class UserMetadata
{
    public static JsonObject Parse(string json) => JsonNode.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json) as JsonObject ?? [];

    /// <summary>
    /// Auth0's merge: only root-level properties merge, nested objects are replaced wholesale, a property set to
    /// <c>null</c> is deleted, and an empty patch (<c>{}</c>) removes the metadata completely. Returns the stored form.
    /// </summary>
    public static string Merge(string current, JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var merged = patch.Count == 0 ? [] : Parse(current);
        foreach (var (key, item) in patch)
        {
            if (item is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = item.DeepClone();
            }
        }

        return merged.ToJsonString();
    }
}
