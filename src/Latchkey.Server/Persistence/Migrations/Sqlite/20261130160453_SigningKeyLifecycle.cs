using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Latchkey.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SigningKeyLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ActivatedAt",
                table: "ProtocolKeys",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RetiredAt",
                table: "ProtocolKeys",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RevokedAt",
                table: "ProtocolKeys",
                type: "TEXT",
                nullable: true);

            // Keys created before the lifecycle columns: the newest signed, older ones were replaced at their
            // successor's creation (close enough to start their retention).
            migrationBuilder.Sql("""
                UPDATE "ProtocolKeys" SET "ActivatedAt" = "CreatedAt" WHERE "Use" = 'sig';
                UPDATE "ProtocolKeys" SET "RetiredAt" = "CreatedAt" WHERE "Use" = 'sig'
                    AND "Generation" < (SELECT MAX("Generation") FROM "ProtocolKeys" WHERE "Use" = 'sig');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ActivatedAt",
                table: "ProtocolKeys");

            migrationBuilder.DropColumn(
                name: "RetiredAt",
                table: "ProtocolKeys");

            migrationBuilder.DropColumn(
                name: "RevokedAt",
                table: "ProtocolKeys");
        }
    }
}
