using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Latchkey.Server.Users.Import;

/// <summary>
/// A user the import refused and why, in Auth0's shape <c>{user, errors: [{code, message, path}]}</c>. The user is
/// echoed without its password hash, so no hash outlives the import in the job's errors.
/// </summary>
internal sealed record UserImportError(
    [property: JsonPropertyName("user")] JsonNode? User,
    [property: JsonPropertyName("errors")] IReadOnlyList<UserImportProblem> Errors);
