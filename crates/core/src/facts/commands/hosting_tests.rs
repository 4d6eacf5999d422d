//! Tests of the commands read from Netlify and Vercel configs, through the
//! whole extraction ([`show_all`](super::super::show_all)): a file of their
//! own, so that the extractor does not depend on the dispatcher that calls
//! it.

use super::super::show_all;
use crate::kind::FileKind;

#[test]
fn netlify_commands_and_environments() {
    let text = "[build]\n  base = \"site\"\n  command = \"npx prisma1 deploy && npm run build\"\n[build.environment]\n  A = \"1\"\n[context.production]\n  command = 'prisma1 deploy'\n  environment = { PRISMA_MANAGEMENT_API_SECRET = \"x\" }\n";
    assert_eq!(
            show_all("netlify.toml", FileKind::Netlify, text),
            [
                "3:14-3:32 cwd=site [prisma1 deploy] w=npx Global(build.environment):A=1",
                "3:36-3:49 cwd=site [build] w=npm run Global(build.environment):A=1",
                "7:14-7:28 cwd=site [prisma1 deploy] Job(context.production.environment):PRISMA_MANAGEMENT_API_SECRET=x Global(build.environment):A=1",
            ]
        );
}

#[test]
fn vercel_commands_and_env() {
    let text = "{\"buildCommand\": \"prisma1 deploy\", \"build\": {\"env\": {\"PRISMA_SECRET\": \"@secret\"}}}";
    assert_eq!(
        show_all("now.json", FileKind::Vercel, text),
        ["1:19-1:33 [prisma1 deploy] Global(build.env):PRISMA_SECRET=@secret"]
    );
    assert!(show_all("vercel.json", FileKind::Vercel, "{").is_empty());
}
