namespace Latchkey.Server.Management;

/// <summary>An endpoint answers with <see cref="PagedResult{TItem}"/>: the OpenAPI document describes both forms.</summary>
internal sealed record PagedResponseMetadata(Type ItemType, string Collection);
