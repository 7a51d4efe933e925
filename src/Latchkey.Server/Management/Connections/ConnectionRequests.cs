using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Connections;

/// <summary>
/// Auth0's <c>PATCH /api/v2/connections/{id}</c> body, limited to what Latchkey honours: <c>options</c>. As in Auth0,
/// <c>options</c> replaces the whole options object: a member left out returns to its default.
/// </summary>
internal sealed record ConnectionUpdateRequest
{
    [JsonPropertyName("options")]
    public ConnectionOptionsRequest Options { get; init; } = new();
}

/// <summary>The options Latchkey honours; any other member is refused (Auth0's <c>Additional properties not allowed</c>).</summary>
internal sealed record ConnectionOptionsRequest
{
    [JsonPropertyName("disable_signup")]
    public bool DisableSignup { get; init; }

    /// <summary>Auth0's strength level (<c>none</c>, <c>low</c>, <c>fair</c>, <c>good</c>, <c>excellent</c>); null for none.</summary>
    [JsonPropertyName("passwordPolicy")]
    public string? PasswordPolicy { get; init; }

    [JsonPropertyName("password_complexity_options")]
    public PasswordComplexityRequest PasswordComplexityOptions { get; init; } = new();

    [JsonPropertyName("brute_force_protection")]
    public bool BruteForceProtection { get; init; } = true;
}

internal sealed record PasswordComplexityRequest
{
    [JsonPropertyName("min_length")]
    public int? MinLength { get; init; }
}

/// <summary>
/// Auth0's <c>POST /api/v2/connections</c> body, read so a malformed request gets Auth0's 400; Latchkey has exactly one
/// database connection and creates no other (403 <c>operation_not_supported</c>).
/// </summary>
internal sealed record ConnectionCreateRequest
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("strategy")]
    public required string Strategy { get; init; }

    [JsonPropertyName("display_name")]
    public string? DisplayName { get; init; }

    [JsonPropertyName("options")]
    public JsonObject? Options { get; init; }

    [JsonPropertyName("enabled_clients")]
    public List<string>? EnabledClients { get; init; }

    [JsonPropertyName("realms")]
    public List<string>? Realms { get; init; }

    [JsonPropertyName("is_domain_connection")]
    public bool? IsDomainConnection { get; init; }

    [JsonPropertyName("metadata")]
    public JsonObject? Metadata { get; init; }
}
