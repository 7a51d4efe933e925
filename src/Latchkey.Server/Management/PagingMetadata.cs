namespace Latchkey.Server.Management;

/// <summary>Marks an endpoint that takes a <see cref="PageRequest"/>, so the OpenAPI document lists its query parameters.</summary>
internal sealed class PagingMetadata
{
    public static readonly PagingMetadata Instance = new();

    private PagingMetadata()
    {
    }
}
