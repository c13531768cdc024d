from officestar_cli.cli import main

main()
