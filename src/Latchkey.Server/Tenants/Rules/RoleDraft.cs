namespace Latchkey.Server.Tenants.Rules;

/// <summary>A role as a tenant file or a Management API body gives it (null: not given or wrong JSON type).</summary>
internal sealed record RoleDraft
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<PermissionDraft?>? Permissions { get; init; }

    /// <summary>The entity. Call only when <see cref="RoleRules.Check"/> found nothing.</summary>
    public Role ToRole() => new()
    {
        Name = Name!,
        Description = Description,
        Permissions = (Permissions ?? []).Select(p => new RolePermission { ResourceServerIdentifier = p!.ResourceServerIdentifier!, PermissionName = p.PermissionName! }).ToList(),
    };
}
