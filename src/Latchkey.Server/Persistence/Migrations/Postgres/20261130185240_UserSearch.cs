using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Latchkey.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UserSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_NormalizedEmail",
                table: "Users");

            // Hand-written (keep on re-creation): EF Core scaffolds ALTER COLUMN … TYPE jsonb without USING, which
            // PostgreSQL refuses for text; the metadata columns hold valid JSON objects, so the cast converts them.
            migrationBuilder.Sql("""ALTER TABLE "Users" ALTER COLUMN "UserMetadata" TYPE jsonb USING "UserMetadata"::jsonb;""");
            migrationBuilder.Sql("""ALTER TABLE "Users" ALTER COLUMN "AppMetadata" TYPE jsonb USING "AppMetadata"::jsonb;""");

            migrationBuilder.AddColumn<string>(
                name: "FamilyName",
                table: "Users",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GivenName",
                table: "Users",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Users_AppMetadata",
                table: "Users",
                column: "AppMetadata")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Users_CreatedAt_UserId",
                table: "Users",
                columns: new[] { "CreatedAt", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_Users_NormalizedEmail",
                table: "Users",
                column: "NormalizedEmail",
                unique: true)
                .Annotation("Npgsql:IndexOperators", new[] { "text_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Users_UserMetadata",
                table: "Users",
                column: "UserMetadata")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "jsonb_path_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_AppMetadata",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_CreatedAt_UserId",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_NormalizedEmail",
                table: "Users");

            migrationBuilder.DropIndex(
                name: "IX_Users_UserMetadata",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "FamilyName",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "GivenName",
                table: "Users");

            // Hand-written (keep on re-creation): back to text with an explicit cast.
            migrationBuilder.Sql("""ALTER TABLE "Users" ALTER COLUMN "UserMetadata" TYPE text USING "UserMetadata"::text;""");
            migrationBuilder.Sql("""ALTER TABLE "Users" ALTER COLUMN "AppMetadata" TYPE text USING "AppMetadata"::text;""");

            migrationBuilder.CreateIndex(
                name: "IX_Users_NormalizedEmail",
                table: "Users",
                column: "NormalizedEmail",
                unique: true);
        }
    }
}
