//! `perspective`: take part in the Perspective chain from a terminal (transfers, evaluation and
//! its agent, contributions and rewards, governance, validator operations). Human output by
//! default, `--json` for scripts; a failure exits non-zero with the chain's error as
//! `section.Error: docs`.

mod agent;
mod chain;
mod commitment;
mod contrib;
mod eval;
mod fetch;
mod gov;
mod scorer;
mod store;
mod types;
mod validator;

use anyhow::{anyhow, Context};
use clap::{Parser, Subcommand};
use subxt_signer::{sr25519::Keypair, SecretUri};

#[derive(Parser)]
#[command(
	name = "perspective",
	version,
	about = "Take part in the Perspective chain: evaluate AI outputs, register contributions, claim rewards, vote and run validators.",
	after_help = "Examples:
  export PERSPECTIVE_SURI=//Bob          # the signing key (never printed)
  perspective balance
  perspective eval register 200 && perspective eval run --scorer 'python3 client/examples/scorer.py --reference ref.txt'
  perspective contrib register --file data.csv --kind dataset
  perspective rewards claim
  perspective gov vote 0 aye --balance 10 --conviction locked1x
  perspective validator keys && perspective validator apply 1000

Errors from the chain print as `section.Error: docs` and exit with status 1."
)]
pub struct Cli {
	/// Node to talk to.
	#[arg(long, global = true, help_heading = "Global options", env = "PERSPECTIVE_URL", default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// Secret URI of the signing account (`//Alice`, a mnemonic, a 0x seed). Prefer the
	/// environment variable or --key-file: arguments are visible to other users of the machine.
	#[arg(long, global = true, help_heading = "Global options", env = "PERSPECTIVE_SURI", hide_env_values = true)]
	pub suri: Option<String>,
	/// File holding the secret URI (first line).
	#[arg(long, global = true, help_heading = "Global options")]
	pub key_file: Option<std::path::PathBuf>,
	/// Print JSON (one object per result; the agent prints one per line).
	#[arg(long, global = true, help_heading = "Global options")]
	pub json: bool,
	#[command(subcommand)]
	pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
	/// Send PRSP (keeping the sender alive).
	Transfer {
		/// Recipient (SS58 address or 0x account id).
		to: String,
		/// Amount in PRSP ("1.5") or planck ("1500planck").
		amount: String,
	},
	/// Balance of an account (default: the signer).
	Balance { account: Option<String> },
	/// Evaluate AI outputs: bond, follow the tasks you are drawn for, run the agent.
	#[command(subcommand)]
	Eval(eval::EvalCommand),
	/// Register datasets, models and other contributions; see their evaluation.
	#[command(subcommand)]
	Contrib(contrib::ContribCommand),
	/// Contribution rewards.
	#[command(subcommand)]
	Rewards(contrib::RewardsCommand),
	/// Referenda: propose, vote, follow.
	#[command(subcommand)]
	Gov(gov::GovCommand),
	/// The council and its elections.
	#[command(subcommand)]
	Council(gov::CouncilCommand),
	/// Run a validator: session keys, application, bond.
	#[command(subcommand)]
	Validator(validator::ValidatorCommand),
}

/// Prints results as text or JSON.
#[derive(Clone, Copy)]
pub struct Out {
	pub json: bool,
}

impl Out {
	pub fn emit(&self, json: serde_json::Value, human: impl FnOnce() -> String) {
		if self.json {
			println!("{json}");
		} else {
			println!("{}", human());
		}
	}
}

impl Cli {
	/// The signing account, from --suri, PERSPECTIVE_SURI or --key-file.
	pub fn signer(&self) -> anyhow::Result<Keypair> {
		let secret = match (&self.suri, &self.key_file) {
			(Some(suri), _) => suri.clone(),
			(None, Some(path)) => std::fs::read_to_string(path)
				.with_context(|| format!("cannot read the key file {}", path.display()))?
				.lines()
				.next()
				.unwrap_or_default()
				.trim()
				.to_string(),
			(None, None) =>
				return Err(anyhow!("this command signs: pass --suri, set PERSPECTIVE_SURI or pass --key-file")),
		};
		// The secret never appears in an error message.
		let uri: SecretUri = secret.parse().map_err(|_| anyhow!("the secret URI is not valid (//Name, a mnemonic or a 0x seed)"))?;
		Keypair::from_uri(&uri).map_err(|_| anyhow!("the secret URI does not give an sr25519 key"))
	}
}

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	let out = Out { json: cli.json };
	if let Err(error) = run(&cli, out).await {
		if cli.json {
			println!("{}", serde_json::json!({ "error": format!("{error:#}") }));
		} else {
			eprintln!("error: {error:#}");
		}
		std::process::exit(1);
	}
}

async fn run(cli: &Cli, out: Out) -> anyhow::Result<()> {
	match &cli.command {
		Command::Transfer { to, amount } => {
			let signer = cli.signer()?;
			let chain = chain::Chain::connect(&cli.url).await?;
			let dest = chain::parse_account(to)?;
			let value = chain::parse_prsp(amount)?;
			let call = subxt::dynamic::tx(
				"Balances",
				"transfer_keep_alive",
				(subxt::utils::MultiAddress::<subxt::utils::AccountId32, ()>::Id(dest.into()), value),
			);
			let done = chain.submit(&call, &signer).await?;
			out.emit(
				serde_json::json!({ "to": chain::ss58(&dest), "amount": value.to_string(), "fee": done.fee.to_string(), "block": done.block_hash }),
				|| format!("sent {} to {} (fee {}) in block {}", chain::prsp(value), chain::ss58(&dest), chain::prsp(done.fee), done.block_hash),
			);
			Ok(())
		},
		Command::Balance { account } => {
			let who = match account {
				Some(a) => chain::parse_account(a)?,
				None => cli.signer()?.public_key().0,
			};
			let chain = chain::Chain::connect(&cli.url).await?;
			let data = eval::account_data(&chain.best().await?, &who).await?;
			out.emit(
				serde_json::json!({ "account": chain::ss58(&who), "free": data.free.to_string(), "reserved": data.reserved.to_string(), "frozen": data.frozen.to_string() }),
				|| format!("{}: free {}, held {}, frozen {}", chain::ss58(&who), chain::prsp(data.free), chain::prsp(data.reserved), chain::prsp(data.frozen)),
			);
			Ok(())
		},
		Command::Eval(command) => eval::run(cli, out, command).await,
		Command::Contrib(command) => contrib::run(cli, out, command).await,
		Command::Rewards(command) => contrib::rewards(cli, out, command).await,
		Command::Gov(command) => gov::run(cli, out, command).await,
		Command::Council(command) => gov::council(cli, out, command).await,
		Command::Validator(command) => validator::run(cli, out, command).await,
	}
}
