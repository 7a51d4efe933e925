using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Latchkey.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ConnectionOptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "BruteForceProtection",
                table: "Connections",
                // Hand-edited: the existing connection keeps brute-force protection on (Connection.BruteForceProtection's default).
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<int>(
                name: "PasswordMinLength",
                table: "Connections",
                // Hand-edited: the existing connection keeps Latchkey's minimum of 8 (PasswordPolicy.MinLength).
                type: "integer",
                nullable: false,
                defaultValue: 8);

            migrationBuilder.AddColumn<string>(
                name: "PasswordPolicy",
                table: "Connections",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BruteForceProtection",
                table: "Connections");

            migrationBuilder.DropColumn(
                name: "PasswordMinLength",
                table: "Connections");

            migrationBuilder.DropColumn(
                name: "PasswordPolicy",
                table: "Connections");
        }
    }
}
