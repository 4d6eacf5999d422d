//! The error that ends a run with exit code 2, raised wherever a run is set
//! up (arguments, paths, config, rules, baseline, outputs) and rendered once,
//! at the top, by miette.

/// An error that ends the run with exit code 2.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RunError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] crate::diagnostic::FileError),
    /// Shown through `display::printable`: it may name a file of the repository.
    #[error("{}", crate::display::printable(.0))]
    Usage(String),
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
}
