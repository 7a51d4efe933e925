using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Latchkey.Server.Users;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("Users");
        builder.HasKey(u => u.UserId);
        builder.Property(u => u.UserId).HasMaxLength(100);
        builder.Property(u => u.Email).HasMaxLength(320);
        builder.Property(u => u.NormalizedEmail).HasMaxLength(320);
        builder.HasIndex(u => u.NormalizedEmail).IsUnique();
        builder.Property(u => u.GivenName).HasMaxLength(300);
        builder.Property(u => u.FamilyName).HasMaxLength(300);

        // GET /api/v2/users?sort=created_at:±1 pages through this index (ties broken by user_id).
        builder.HasIndex(u => new { u.CreatedAt, u.UserId });
        builder.Property(u => u.UpdatedAt).IsConcurrencyToken();
        builder.HasMany(u => u.Roles).WithOne().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(u => u.Permissions).WithOne().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserRoleConfiguration : IEntityTypeConfiguration<UserRole>
{
    public void Configure(EntityTypeBuilder<UserRole> builder)
    {
        builder.ToTable("UserRoles");
        builder.HasKey(r => new { r.UserId, r.RoleId });
        builder.Property(r => r.UserId).HasMaxLength(100);

        // GET /roles/{id}/users pages through a role's members.
        builder.HasIndex(r => new { r.RoleId, r.UserId });
    }
}

internal sealed class UserPermissionConfiguration : IEntityTypeConfiguration<UserPermission>
{
    public void Configure(EntityTypeBuilder<UserPermission> builder)
    {
        builder.ToTable("UserPermissions");
        builder.HasKey(p => new { p.UserId, p.ResourceServerIdentifier, p.PermissionName });
        builder.Property(p => p.UserId).HasMaxLength(100);
        builder.Property(p => p.ResourceServerIdentifier).HasMaxLength(600);
        builder.Property(p => p.PermissionName).HasMaxLength(280);
    }
}
