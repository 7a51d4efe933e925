using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Latchkey.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ManagementConfiguration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClientMetadata",
                table: "Applications",
                type: "text",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "Description",
                table: "Applications",
                type: "character varying(140)",
                maxLength: 140,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "IdTokenLifetime",
                table: "Applications",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsFirstParty",
                table: "Applications",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "TokenEndpointAuthMethod",
                table: "Applications",
                type: "character varying(30)",
                maxLength: 30,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "SkipConsentForVerifiableFirstPartyClients",
                table: "Apis",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "TokenLifetimeForWeb",
                table: "Apis",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Existing rows get what Auth0 gives them: "none" for public applications, the secret in the body
            // otherwise; implicit-flow tokens at most two hours and never longer than the API's own lifetime.
            migrationBuilder.Sql("""
                UPDATE "Applications" SET "TokenEndpointAuthMethod" = CASE WHEN "AppType" IN ('spa', 'native') THEN 'none' ELSE 'client_secret_post' END;
                UPDATE "Apis" SET "TokenLifetimeForWeb" = CASE WHEN "TokenLifetime" < 7200 THEN "TokenLifetime" ELSE 7200 END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClientMetadata",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "Description",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "IdTokenLifetime",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "IsFirstParty",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "TokenEndpointAuthMethod",
                table: "Applications");

            migrationBuilder.DropColumn(
                name: "SkipConsentForVerifiableFirstPartyClients",
                table: "Apis");

            migrationBuilder.DropColumn(
                name: "TokenLifetimeForWeb",
                table: "Apis");
        }
    }
}
