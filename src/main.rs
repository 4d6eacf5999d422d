//! prisma1-lint: finds every dependency on the retired Prisma 1 Cloud in a
//! repository and says, for each, why it breaks and what to do.

use prisma1_lint::{app, cli, explain};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse_from(std::env::args_os(), prisma1_lint::terminal::width()) {
        Ok(cli) => cli,
        // `--help`, `--version` (exit 0) or a usage error (exit 2).
        Err(stop) => return stop.finish(),
    };
    let result = match &cli.command {
        cli::Command::Check(args) => app::check(args).map(|o| match o {
            app::exit::Outcome::Clean => ExitCode::SUCCESS,
            app::exit::Outcome::Findings => ExitCode::from(1),
            app::exit::Outcome::InternalError => ExitCode::from(2),
        }),
        cli::Command::Audit(args) => prisma1_lint::audit::run(args).map(|o| match o {
            app::exit::Outcome::Clean => ExitCode::SUCCESS,
            app::exit::Outcome::Findings => ExitCode::from(1),
            app::exit::Outcome::InternalError => ExitCode::from(2),
        }),
        cli::Command::Fix(args) => prisma1_lint::fix::run::run(args).map(|o| match o {
            app::exit::Outcome::Clean => ExitCode::SUCCESS,
            app::exit::Outcome::Findings => ExitCode::from(1),
            app::exit::Outcome::InternalError => ExitCode::from(2),
        }),
        cli::Command::Upgrade(args) => prisma1_lint::upgrade::command::run(args).map(|o| match o {
            app::exit::Outcome::Clean => ExitCode::SUCCESS,
            app::exit::Outcome::Findings => ExitCode::from(1),
            app::exit::Outcome::InternalError => ExitCode::from(2),
        }),
        cli::Command::Rules(args) => explain::list(args).map(|()| ExitCode::SUCCESS),
        cli::Command::Explain { rule, rules } => {
            explain::explain(rule, rules).map(|()| ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        // `prisma1-lint check | head` is not an error.
        Err(prisma1_lint::error::RunError::Io(e)) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", prisma1_lint::diagnostic::render_error(&e));
            ExitCode::from(2)
        }
    }
}

/// A closed pipe, also when a serializer wrapped it (`--format json | head`).
fn is_broken_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<serde_json::Error>())
            .and_then(serde_json::Error::io_error_kind)
            == Some(std::io::ErrorKind::BrokenPipe)
}
