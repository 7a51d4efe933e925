using System.Text.Json.Serialization;
using Latchkey.Server.Tenants;

namespace Latchkey.Server.Management.Connections;

/// <summary>
/// Auth0's connection object for the database connection (<c>strategy: "auth0"</c>). Members a <c>fields</c> selection
/// leaves out are null and not written.
/// </summary>
internal sealed record ConnectionResponse : IPagedItem
{
    public static string Collection => "connections";

    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonPropertyName("display_name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DisplayName { get; init; }

    [JsonPropertyName("strategy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Strategy { get; init; }

    [JsonPropertyName("options")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConnectionOptionsResponse? Options { get; init; }

    /// <summary>Auth0: the realms (for the password grant's <c>realm</c>) a connection answers to; its own name.</summary>
    [JsonPropertyName("realms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Realms { get; init; }

    [JsonPropertyName("is_domain_connection")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsDomainConnection { get; init; }

    public static ConnectionResponse From(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new ConnectionResponse
        {
            Id = connection.Id,
            Name = connection.Name,
            DisplayName = connection.Name,
            Strategy = connection.Strategy,
            Options = new ConnectionOptionsResponse(
                connection.DisableSignup,
                connection.PasswordPolicy,
                new PasswordComplexityOptions(connection.PasswordMinLength),
                connection.BruteForceProtection),
            Realms = [connection.Name],
            IsDomainConnection = false,
        };
    }

    /// <summary>Auth0's <c>fields</c> and <c>include_fields</c>: only (or all but) the named top-level members.</summary>
    public ConnectionResponse Select(IReadOnlySet<string> fields, bool include)
    {
        ArgumentNullException.ThrowIfNull(fields);
        bool Keep(string name) => fields.Contains(name) == include;
        return new ConnectionResponse
        {
            Id = Keep("id") ? Id : null,
            Name = Keep("name") ? Name : null,
            DisplayName = Keep("display_name") ? DisplayName : null,
            Strategy = Keep("strategy") ? Strategy : null,
            Options = Keep("options") ? Options : null,
            Realms = Keep("realms") ? Realms : null,
            IsDomainConnection = Keep("is_domain_connection") ? IsDomainConnection : null,
        };
    }
}

/// <summary>The options of the database connection that Latchkey honours, in Auth0's names.</summary>
internal sealed record ConnectionOptionsResponse(
    [property: JsonPropertyName("disable_signup")] bool DisableSignup,
    [property: JsonPropertyName("passwordPolicy")] string? PasswordPolicy,
    [property: JsonPropertyName("password_complexity_options")] PasswordComplexityOptions PasswordComplexityOptions,
    [property: JsonPropertyName("brute_force_protection")] bool BruteForceProtection);

/// <summary>Auth0's <c>password_complexity_options</c>; Latchkey reads only <c>min_length</c>.</summary>
internal sealed record PasswordComplexityOptions(
    [property: JsonPropertyName("min_length")] int MinLength);

/// <summary>Auth0's checkpoint page (<c>from</c>/<c>take</c>): the connections and, when there are more, the <c>from</c> of the next page.</summary>
internal sealed record ConnectionCheckpointPage(
    [property: JsonPropertyName("connections")] IReadOnlyList<ConnectionResponse> Connections,
    [property: JsonPropertyName("next")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next);
