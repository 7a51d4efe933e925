using System.Text.Json;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Latchkey.Server.Tenants;

internal sealed class ApiConfiguration : IEntityTypeConfiguration<Api>
{
    public void Configure(EntityTypeBuilder<Api> builder)
    {
        builder.ToTable("Apis");
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => a.Identifier).IsUnique();
        builder.Property(a => a.Identifier).HasMaxLength(600);
        builder.Property(a => a.Name).HasMaxLength(200);
        builder.Property(a => a.SigningAlg).HasMaxLength(10);
        builder.Property(a => a.TokenDialect).HasMaxLength(40);
        builder.OwnsMany(a => a.Scopes, s => s.ToJson());
        builder.Ignore(a => a.AddsPermissionsClaim);
        builder.Ignore(a => a.UsesRfc9068Profile);
    }
}

internal sealed class ApplicationConfiguration : IEntityTypeConfiguration<Application>
{
    public void Configure(EntityTypeBuilder<Application> builder)
    {
        builder.ToTable("Applications");
        builder.HasKey(a => a.ClientId);
        builder.Property(a => a.ClientId).HasMaxLength(200);
        builder.Property(a => a.Name).HasMaxLength(200);
        builder.Property(a => a.AppType).HasMaxLength(20);
        builder.Property(a => a.Description).HasMaxLength(140);
        builder.Property(a => a.TokenEndpointAuthMethod).HasMaxLength(30);

        // A small string map stored as one JSON text column, compared by content so an in-place change is saved.
        builder.Property(a => a.ClientMetadata).HasConversion(
            v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
            v => JsonSerializer.Deserialize<Dictionary<string, string>>(v, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
            new ValueComparer<Dictionary<string, string>>(
                (a, b) => a!.Count == b!.Count && a.All(p => b.ContainsKey(p.Key) && b[p.Key] == p.Value),
                v => v.Aggregate(0, (hash, p) => hash ^ HashCode.Combine(p.Key, p.Value)),
                v => new Dictionary<string, string>(v, StringComparer.Ordinal)));
        builder.Ignore(a => a.IsPublic);
        builder.OwnsOne(a => a.RefreshToken, r =>
        {
            r.ToJson();
            r.Ignore(p => p.IsStrictRotation);
        });
    }
}

internal sealed class ClientGrantConfiguration : IEntityTypeConfiguration<ClientGrant>
{
    public void Configure(EntityTypeBuilder<ClientGrant> builder)
    {
        builder.ToTable("ClientGrants");
        builder.HasKey(g => g.Id);
        builder.HasIndex(g => new { g.ClientId, g.Audience }).IsUnique();
        builder.Property(g => g.ClientId).HasMaxLength(200);
        builder.Property(g => g.Audience).HasMaxLength(600);
    }
}

internal sealed class RoleConfiguration : IEntityTypeConfiguration<Role>
{
    public void Configure(EntityTypeBuilder<Role> builder)
    {
        builder.ToTable("Roles");
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => r.Name).IsUnique();
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Ignore(r => r.RoleId);
        builder.OwnsMany(r => r.Permissions, p => p.ToJson());

        // Deleting a role takes it away from every user (Auth0); assignments are user data in Users/.
        builder.HasMany<UserRole>().WithOne().HasForeignKey(r => r.RoleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TenantVersionConfiguration : IEntityTypeConfiguration<TenantVersion>
{
    public void Configure(EntityTypeBuilder<TenantVersion> builder)
    {
        builder.ToTable("TenantVersion");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.HasData(new TenantVersion { Id = TenantVersion.SingletonId, Version = 0, ChangedAt = DateTimeOffset.UnixEpoch });
    }
}

internal sealed class ConnectionConfiguration : IEntityTypeConfiguration<Connection>
{
    public void Configure(EntityTypeBuilder<Connection> builder)
    {
        builder.ToTable("Connections");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(40);
        builder.Property(c => c.Name).HasMaxLength(128);
        builder.Property(c => c.Strategy).HasMaxLength(40);
        builder.Property(c => c.PasswordPolicy).HasMaxLength(20);
        builder.HasIndex(c => c.Name).IsUnique();
    }
}
