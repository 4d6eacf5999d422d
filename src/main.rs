//! prisma1-lint: finds every dependency on the retired Prisma 1 Cloud.
#![allow(dead_code)]
mod facts;
mod finding;
mod kind;

fn main() {}
