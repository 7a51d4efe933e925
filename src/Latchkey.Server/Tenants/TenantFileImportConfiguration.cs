using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Latchkey.Server.Tenants;

internal sealed class TenantFileImportConfiguration : IEntityTypeConfiguration<TenantFileImport>
{
    public void Configure(EntityTypeBuilder<TenantFileImport> builder)
    {
        builder.ToTable("TenantFileImport");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.FileHash).HasMaxLength(64);
        builder.Property(i => i.UsersDigest).HasMaxLength(64);
    }
}
