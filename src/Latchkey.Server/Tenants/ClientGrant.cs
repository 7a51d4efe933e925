namespace Latchkey.Server.Tenants;

/// <summary>Permission for a machine-to-machine application to get tokens for an API (client_credentials).</summary>
public sealed class ClientGrant
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public required string ClientId { get; set; }

    /// <summary>The API identifier.</summary>
    public required string Audience { get; set; }

    public List<string> Scope { get; set; } = [];
}
