namespace Latchkey.Server.Tenants.Rules;

/// <summary>A role as a tenant file or a Management API body gives it (null: not given or wrong JSON type).</summary>
internal sealed record RoleDraft
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<RolePermissionDraft?>? Permissions { get; init; }

    /// <summary>The entity. Call only when <see cref="RoleRules.Check"/> found nothing.</summary>
    public Role ToRole() => new()
    {
        Name = Name!,
        Description = Description,
        Permissions = (Permissions ?? []).Select(p => new RolePermission { ResourceServerIdentifier = p!.ResourceServerIdentifier!, PermissionName = p.PermissionName! }).ToList(),
    };
}

/// <summary>One permission of a <see cref="RoleDraft"/>: a scope of an API.</summary>
internal sealed record RolePermissionDraft(string? ResourceServerIdentifier, string? PermissionName);
