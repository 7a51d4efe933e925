namespace Latchkey.Server.Management;

/// <summary>Marks the endpoints of the Management API surface (<c>/api/v2</c>): Auth0-shaped errors, OpenAPI document.</summary>
internal sealed class ManagementEndpointMetadata
{
    public static readonly ManagementEndpointMetadata Instance = new();

    private ManagementEndpointMetadata()
    {
    }
}
